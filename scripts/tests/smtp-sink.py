#!/usr/bin/env python3
"""A loopback SMTP server for the mail tests: saves every message it receives, as it arrived.

usage: smtp-sink.py FOLDER [SECONDS]

Listens on a free port of 127.0.0.1 and prints "port N" once it accepts connections. Each message is saved
as FOLDER/NNN.eml (the bytes received) and FOLDER/NNN.json (the envelope), each written whole by a rename.
Stops by itself when its standard input closes or after SECONDS (default 120), so a test that dies
leaves no server behind. Needs aiosmtpd: scripts/test-venv installs it into .venv-test/.
"""
import json
import os
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Saver:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, "%03d" % self.count)
        envelope_data = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}
        for suffix, data in ((".eml", envelope.original_content), (".json", json.dumps(envelope_data).encode())):
            with open(base + suffix + ".tmp", "wb") as out:
                out.write(data)
            os.rename(base + suffix + ".tmp", base + suffix)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    folder = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
    port = free_port()
    controller = Controller(Saver(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("port %d" % port, flush=True)
    waiter = threading.Thread(target=sys.stdin.read, daemon=True)
    waiter.start()
    waiter.join(seconds)
    controller.stop()


if __name__ == "__main__":
    main()
