#!/usr/bin/python3
"""A real SMTP server for Stockbell's tests, the benchmark and the demo (aiosmtpd, Debian
python3-aiosmtpd; run it with /usr/bin/python3).

    smtp_sink.py --port 0 --dir DIR [--host 127.0.0.1] [--quiet]
    smtp_sink.py --port 0 --dir DIR --discard --expect N      (the benchmark's sink)

Prints "listening on HOST:PORT" once it accepts connections, then writes every message it
accepts to DIR as NNNNNN.eml (the bytes as received), NNNNNN.html (its HTML part, to open in a
browser) and NNNNNN.json (the message parsed back by
Python's email package: envelope, decoded headers, the text and HTML parts, and facts about the
raw bytes), each written under a temporary name and renamed, so a reader never sees half a file.
Stops on SIGTERM or SIGINT. With --discard it keeps nothing (the benchmark measures senders,
not this script's file writing) and prints "accepted N AT" (AT: Unix ms) once the N-th message
of --expect is accepted.

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
import os
import re
import signal
import sys
import threading
import time

from aiosmtpd.controller import Controller


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--dir', required=True)
    parser.add_argument('--quiet', action='store_true')
    parser.add_argument('--discard', action='store_true')
    parser.add_argument('--expect', type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    port = args.port
    if port == 0:
        import socket
        with socket.socket() as s:
            s.bind((args.host, 0))
            port = s.getsockname()[1]
    controller = Controller(Sink(args.dir, args.quiet, args.discard, args.expect),
                            hostname=args.host, port=port,
                            data_size_limit=50 * 1024 * 1024)
    controller.start()
    print('listening on %s:%d' % (args.host, port), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == '__main__':
    sys.exit(main())
