#!/usr/bin/env python3
"""A loopback SMTP server for the mail tests: saves every message it receives, as it arrived.

usage: smtp-sink.py FOLDER [SECONDS [USER PASSWORD]]

Listens on a free port of 127.0.0.1 and prints "port N" once it accepts connections. Each message is saved
as FOLDER/NNN.eml (the bytes received) and FOLDER/NNN.json (the envelope), each written whole by a rename.
With USER and PASSWORD it asks for that login (AUTH PLAIN or LOGIN, without TLS, as on loopback) before it takes a
message, refuses any other with 535, and saves the login it was given in the envelope (`login`).
Stops by itself when its standard input closes or after SECONDS (default 120), so a test that dies
leaves no server behind. Needs aiosmtpd: scripts/test-venv installs it into .venv-test/.
"""
import json
import logging
import os
import socket
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Saver:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, "%03d" % self.count)
        envelope_data = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}
        if session.auth_data is not None:
            envelope_data["login"] = session.auth_data.login.decode("utf-8")
        for suffix, data in ((".eml", envelope.original_content), (".json", json.dumps(envelope_data).encode())):
            with open(base + suffix + ".tmp", "wb") as out:
                out.write(data)
            os.rename(base + suffix + ".tmp", base + suffix)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def checker(user, password):
    """An authenticator that takes only USER with PASSWORD, byte for byte."""
    wanted = (user.encode("utf-8"), password.encode("utf-8"))

    def check(server, session, envelope, mechanism, auth_data):
        if (auth_data.login, auth_data.password) == wanted:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)  # the server answers 535

    return check


def main():
    folder = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
    port = free_port()
    login = {}
    if len(sys.argv) > 4:
        # Without TLS on purpose (curl would need a certificate to trust): not a warning for the test log.
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        login = dict(
            authenticator=checker(sys.argv[3], sys.argv[4]), auth_required=True, auth_require_tls=False)
    controller = Controller(Saver(folder), hostname="127.0.0.1", port=port, **login)
    controller.start()
    print("port %d" % port, flush=True)
    waiter = threading.Thread(target=sys.stdin.read, daemon=True)
    waiter.start()
    waiter.join(seconds)
    controller.stop()


if __name__ == "__main__":
    main()
