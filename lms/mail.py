"""Development e-mail: printed on the console as a person reads it.

Django's console backend prints the raw MIME message, whose body is quoted-printable or base64 for French text: a
long link gets a soft line break ("=\\n") and "=3D" in the middle, and copying it from the terminal gives a broken
link. This backend prints the headers that matter and the decoded plain-text body (links whole, accents as they
are), then lists the other parts (HTML version, attachments) by name.
"""

from __future__ import annotations

from email.message import EmailMessage as MIMEMessage

from django.core.mail.backends.console import EmailBackend as ConsoleBackend


class ReadableConsoleBackend(ConsoleBackend):
    HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date")

    def write_message(self, message) -> None:
        self.stream.write(readable(message.message()))
        self.stream.write("\n" + "-" * 79 + "\n")


def readable(msg: MIMEMessage) -> str:
    lines = [f"{name}: {msg[name]}" for name in ReadableConsoleBackend.HEADERS if msg[name]]
    body, others = None, []
    for part in msg.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if body is None and part.get_content_type() == "text/plain" and not filename:
            body = part.get_content()
        else:
            others.append(filename or part.get_content_type())
    lines.append("")
    lines.append((body or "").rstrip("\n"))
    if others:
        lines.append("")
        lines.append("[also in this message: " + ", ".join(others) + "]")
    return "\n".join(lines) + "\n"
