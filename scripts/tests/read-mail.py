#!/usr/bin/env python3
"""Decodes a mail message with Python's own email package and prints, as JSON, what the mail tests check.

usage: read-mail.py MESSAGE.eml

An independent reader: the Swift tests do not check the pipeline's MIME with the pipeline's own code.
Prints the decoded Subject, From and To, the parser's defects, and for every part its content type, file
name, charset, the SHA-256 of its decoded bytes and, for text parts that are not attachments, the text.
"""
import email
import hashlib
import json
import sys
from email import policy


def main():
    with open(sys.argv[1], "rb") as source:
        message = email.message_from_bytes(source.read(), policy=policy.default)
    result = {
        "subject": str(message["subject"]),
        "from": str(message["from"]),
        "to": [str(address) for address in message["to"].addresses],
        "defects": [type(defect).__name__ for part in message.walk() for defect in part.defects],
        "parts": [],
    }
    for part in message.walk():
        entry = {"content_type": part.get_content_type()}
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            entry["filename"] = part.get_filename()
            entry["charset"] = part.get_content_charset()
            entry["sha256"] = hashlib.sha256(payload).hexdigest()
            if part.get_content_maintype() == "text" and part.get_filename() is None:
                entry["text"] = payload.decode(part.get_content_charset() or "ascii")
        result["parts"].append(entry)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
