#!/usr/bin/python3
"""A real SMTP server for Stockbell's tests, the benchmark and the demo (aiosmtpd, Debian
python3-aiosmtpd; run it with /usr/bin/python3).

    smtp_sink.py --port 0 --dir DIR [--host 127.0.0.1] [--quiet]
    smtp_sink.py --port 0 --dir DIR --discard --expect N      (the benchmark's sink)
    smtp_sink.py ... --tls starttls|implicit --cert PEM --key PEM [--auth USER:PASSWORD]

Prints "listening on HOST:PORT" once it accepts connections, then writes every message it
accepts to DIR as NNNNNN.eml (the bytes as received), NNNNNN.html (its HTML part, to open in a
browser) and NNNNNN.json (the message parsed back by
Python's email package: envelope, decoded headers, the text and HTML parts, and facts about the
raw bytes), each written under a temporary name and renamed, so a reader never sees half a file.
Stops on SIGTERM or SIGINT. With --discard it keeps nothing (the benchmark measures senders,
not this script's file writing) and prints "accepted N AT" (AT: Unix ms) once the N-th message
of --expect is accepted.

With --tls starttls the server offers STARTTLS and refuses mail before it (530); with --tls
implicit it speaks TLS from the first byte (smtps://). Its certificate and key are --cert and
--key; when they don't exist yet, a self-signed pair for 127.0.0.1 is made there (openssl), so
a client can trust --cert as its only authority. With --auth it refuses mail until the
client logged in (AUTH PLAIN or LOGIN, over TLS only) as USER with PASSWORD. Each message's
JSON says whether it came over TLS ("tls") and as whom ("authUser").

Recipients steer the answer to RCPT TO by their local part:
    anna+reject@...    550 5.1.1 (a permanent refusal) every time
    anna+defer@...     451 4.3.0 (a temporary one) every time
    anna+defer2@...    451 the first 2 times this address is tried, then accepted
    anna+slow@...      accepted after 2 seconds (a slow server holding its client)
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, folder, quiet, discard=False, expect=0):
        self.folder = folder
        self.quiet = quiet
        self.discard = discard
        self.expect = expect
        self.lock = threading.Lock()
        self.count = 0
        self.tries = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split('@')[0].lower()
        if '+slow' in local:
            await asyncio.sleep(2)
        if '+reject' in local:
            return '550 5.1.1 <%s>: Recipient address rejected: no such user' % address
        match = re.search(r'\+defer(\d*)', local)
        if match:
            with self.lock:
                self.tries[address] = self.tries.get(address, 0) + 1
                tries = self.tries[address]
            limit = int(match.group(1)) if match.group(1) else None
            if limit is None or tries <= limit:
                return '451 4.3.0 <%s>: try again later' % address
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        with self.lock:
            self.count += 1
            number = self.count
        if self.discard:
            if number == self.expect:
                print('accepted %d %d' % (number, int(time.time() * 1000)), flush=True)
            return '250 2.0.0 OK'
        base = os.path.join(self.folder, '%06d' % number)
        write(base + '.eml', raw)
        described = describe(envelope, raw)
        described['tls'] = server.transport.get_extra_info('ssl_object') is not None
        described['authUser'] = (session.auth_data.login.decode('utf-8', 'replace')
                                 if session.authenticated else None)
        write(base + '.json', json.dumps(described, ensure_ascii=False, indent=1).encode('utf-8'))
        if described['html'] is not None:
            write(base + '.html', described['html'].encode('utf-8'))
        if not self.quiet:
            print('received %06d for %s' % (number, ', '.join(envelope.rcpt_tos)), flush=True)
        return '250 2.0.0 OK: queued as %06d' % number


def write(path, data):
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, path)


def describe(envelope, raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    lines = raw.split(b'\r\n')
    out = {
        'mailFrom': envelope.mail_from,
        'rcptTos': envelope.rcpt_tos,
        'headers': [[name, str(value)] for name, value in message.items()],
        'rawHeaders': [[name, value] for name, value in
                       email.message_from_bytes(raw, policy=email.policy.compat32).items()],
        'subject': str(message['subject'] or ''),
        'from': str(message['from'] or ''),
        'to': str(message['to'] or ''),
        'messageId': str(message['message-id'] or ''),
        'contentType': message.get_content_type(),
        'parts': [],
        'text': None,
        'html': None,
        'defects': [str(d) for d in message.defects],
        'allLinesEndInCrlf': b'\n' not in raw.replace(b'\r\n', b''),
        'longestLine': max(len(line) for line in lines),
        'size': len(raw),
    }
    for part in message.walk():
        if part.is_multipart():
            continue
        out['parts'].append({
            'type': part.get_content_type(),
            'charset': part.get_content_charset(),
            'transferEncoding': str(part.get('content-transfer-encoding', '')),
            'defects': [str(d) for d in part.defects],
        })
        # The parts' text with LF line ends (on the wire they are CRLF: allLinesEndInCrlf).
        if part.get_content_type() == 'text/plain' and out['text'] is None:
            out['text'] = part.get_content().replace('\r\n', '\n')
        if part.get_content_type() == 'text/html' and out['html'] is None:
            out['html'] = part.get_content().replace('\r\n', '\n')
    return out


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode('utf-8')
        self.password = password.encode('utf-8')

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--dir', required=True)
    parser.add_argument('--quiet', action='store_true')
    parser.add_argument('--discard', action='store_true')
    parser.add_argument('--expect', type=int, default=0)
    parser.add_argument('--tls', choices=['starttls', 'implicit'])
    parser.add_argument('--cert')
    parser.add_argument('--key')
    parser.add_argument('--auth')
    args = parser.parse_args()
    logging.getLogger('mail.log').setLevel(logging.CRITICAL)  # aiosmtpd's notes, refused TLS
    warnings.simplefilter('ignore')  # aiosmtpd's warnings about this test set-up
    os.makedirs(args.dir, exist_ok=True)
    port = args.port
    if port == 0:
        import socket
        with socket.socket() as s:
            s.bind((args.host, 0))
            port = s.getsockname()[1]
    options = {'data_size_limit': 50 * 1024 * 1024}
    if args.tls and not (os.path.exists(args.cert) and os.path.exists(args.key)):
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                        'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1',
                        '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2',
                        '-keyout', args.key, '-out', args.cert],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        if args.tls == 'starttls':
            options.update(tls_context=context, require_starttls=True)
        else:
            # aiosmtpd counts only STARTTLS as TLS when it offers AUTH; this connection is TLS.
            options.update(ssl_context=context, auth_require_tls=False)
    if args.auth:
        user, _, password = args.auth.partition(':')
        options.update(authenticator=Authenticator(user, password), auth_required=True)
    controller = Controller(Sink(args.dir, args.quiet, args.discard, args.expect),
                            hostname=args.host, port=port, **options)
    controller.start()
    print('listening on %s:%d' % (args.host, port), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == '__main__':
    sys.exit(main())
