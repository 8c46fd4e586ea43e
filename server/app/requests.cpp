#include "server/app/requests.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "core/text.hpp"
#include "server/app/clock.hpp"
#include "server/app/notify.hpp"
#include "server/mail/tokens.hpp"

namespace stockbell::server {

RegisterOutcome RequestService::register_request(int64_t store_id, Trust trust,
                                                 const BackInStockRequest& request,
                                                 const RequestOrigin& origin) {
  int64_t target = 0;
  RegisterOutcome outcome = storage_.write([&](WriteTx& tx) {
    const int64_t now = now_ms();
    const Customer& customer = request.customer;
    const bool mail = sends_mail(tx, store_id, mail_);
    RegisterOutcome out;
    std::optional<SubscriberRecord> subscriber = tx.find_subscriber(store_id, customer.email);
    bool confirmed = subscriber && subscriber->confirmed_at.has_value();
    bool suppressed = subscriber && subscriber->suppressed_at.has_value();
    // A shopper who unsubscribed confirms again before any more mail, whatever the store asks.
    const auto needs_confirmation = [&] {
      return mail &&
             (suppressed || (tx.store_settings(store_id).email.double_opt_in && !confirmed));
    };
    target = tx.target_id(store_id, request.product_id, request.variant_id);
    // A subscriber created just now has no requests yet.
    if (std::optional<RequestRecord> open =
            subscriber ? tx.find_open_request(target, subscriber->id) : std::nullopt) {
      out.subscriber_id = subscriber->id;
      out.request_id = open->id;
      out.status = open->status;
      // A repeat changes nothing stored through a publishable key (anyone on the storefront may
      // send one for any address: it must not retitle someone's notification or claim their
      // name), and answers the status a new request would get, so a page can't tell that the
      // address was already there; the store's own backend refreshes the snapshots and the
      // subscriber.
      if (trust == Trust::publishable) {
        out.status = needs_confirmation() ? RequestStatus::pending : RequestStatus::waiting;
        if (out.status == RequestStatus::waiting) out.position = tx.waiting_count(target);
        return out;
      }
      const SubscriberProfile updated = apply_customer(subscriber->profile, customer, trust);
      if (!(updated == subscriber->profile)) tx.update_subscriber(subscriber->id, updated, now);
      if (request.product_title || request.variant_title)
        tx.update_request_titles(open->id, request.product_title, request.variant_title);
      return out;
    }
    if (subscriber) {
      out.subscriber_id = subscriber->id;
      const SubscriberProfile updated = apply_customer(subscriber->profile, customer, trust);
      if (!(updated == subscriber->profile)) tx.update_subscriber(subscriber->id, updated, now);
    } else {
      out.subscriber_id = tx.insert_subscriber(
          store_id, customer.email, apply_customer(SubscriberProfile{}, customer, trust), now);
      // An address that unsubscribed stays suppressed when its subscriber was erased since.
      if (mail && tx.is_suppressed(store_id, email_hash(tx.mail_key(store_id), customer.email))) {
        suppressed = true;
        tx.set_subscriber_mail_state(out.subscriber_id, std::nullopt, now);
      }
    }
    const bool confirm = needs_confirmation();
    NewRequestDetails details;
    details.status = confirm ? RequestStatus::pending : RequestStatus::waiting;
    details.locale = request.locale;
    details.consent.source = trust == Trust::secret ? RequestSource::api : RequestSource::widget;
    details.consent.text = request.consent_text;
    if (trust == Trust::publishable) {
      details.consent.client_address = origin.client_address;
      if (origin.user_agent) {
        std::string agent = printable_line(*origin.user_agent, kMaxUserAgentChars);
        if (!agent.empty()) details.consent.user_agent = std::move(agent);
      }
    }
    out.request_id = tx.insert_request(target, out.subscriber_id, request.product_title,
                                       request.variant_title, now, details);
    out.status = details.status;
    out.created = true;
    const int64_t snapshot =
        tx.current_snapshot_id(store_id, target, request.product_id, request.variant_id);
    record_requested(tx, store_id, out.request_id, snapshot, now);
    if (confirm) queue_confirmation(tx, store_id, out.request_id, snapshot, now);
    // A new request has the highest id of its target: its place is the number waiting, read
    // from the maintained counter in this transaction (no walk over the line).
    if (details.status == RequestStatus::waiting) out.position = tx.waiting_count(target);
    return out;
  });
  // A repeat through the secret key keeps its place further ahead: counted on a reader, not in
  // the writer's transaction, so a long line costs this request a walk over its index, never the
  // other writes. Through a publishable key (above) it is the back of the line, where a new
  // request lands: a repeat must not tell a storefront page that the address was already
  // waiting further ahead (SPEC §5).
  if (outcome.status == RequestStatus::waiting && !outcome.position)
    outcome.position = storage_.read(
        [&](ReadTx& tx) { return tx.waiting_positions(target, {outcome.request_id}).front(); });
  return outcome;
}

RequestService::RequestPage RequestService::list_requests(int64_t store_id,
                                                          const RequestListQuery& query) {
  return storage_.read([&](ReadTx& tx) {
    RequestPage page{tx.list_requests(store_id, query), tx.count_requests(store_id, query)};
    // Places in line: per target on the page, one walk up to its last waiting row listed.
    std::map<int64_t, std::vector<RequestRecord*>> waiting;
    for (RequestRecord& row : page.rows)
      if (row.status == RequestStatus::waiting) waiting[row.target_id].push_back(&row);
    for (auto& [target, rows] : waiting) {
      std::sort(rows.begin(), rows.end(),
                [](const RequestRecord* a, const RequestRecord* b) { return a->id < b->id; });
      std::vector<int64_t> ids;
      for (const RequestRecord* row : rows) ids.push_back(row->id);
      const std::vector<int64_t> positions = tx.waiting_positions(target, ids);
      for (size_t i = 0; i < rows.size(); ++i) rows[i]->position = positions[i];
    }
    return page;
  });
}

Result<RequestRecord> RequestService::cancel_request(int64_t store_id,
                                                     const std::string& request_id) {
  const std::optional<int64_t> row = storage_.ids().parse(IdKind::request, request_id);
  if (!row) return not_found(Resource::request);
  return storage_.write([&](WriteTx& tx) -> Result<RequestRecord> {
    std::optional<RequestRecord> request = tx.find_request(store_id, *row);
    if (!request) return not_found(Resource::request);
    if (request->status == RequestStatus::notified) return already_notified();
    if (request->status == RequestStatus::waiting || request->status == RequestStatus::pending) {
      tx.cancel_request(store_id, *row, now_ms());
      request = tx.find_request(store_id, *row);
    }
    return *request;
  });
}

Result<RequestService::EventPage> RequestService::list_events(int64_t store_id,
                                                              const EventListQuery& query) {
  int64_t after = 0;
  if (query.after) {
    const std::optional<int64_t> row = storage_.ids().parse(IdKind::event, *query.after);
    if (!row) {
      Problems problems;
      problems.add("after", FieldCode::invalid_type, std::nullopt, "an event id (evt_...)");
      return validation_error(problems);
    }
    after = *row;
  }
  return storage_.read([&](ReadTx& tx) {
    EventPage page;
    page.rows = tx.list_events(store_id, query.type, after, query.limit + 1);
    if (static_cast<int64_t>(page.rows.size()) > query.limit) {
      page.rows.pop_back();
      page.has_more = true;
    }
    return page;
  });
}

int64_t RequestService::expire_pending(int64_t now) {
  return storage_.write(
      [&](WriteTx& tx) { return tx.expire_pending_requests(now - kPendingRequestTtlMs); });
}

}  // namespace stockbell::server
