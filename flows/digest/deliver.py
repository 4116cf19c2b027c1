"""Delivery of one rendered digest: SMTP (none / STARTTLS / SSL, multipart text+HTML), a directory (one file
per digest, named after its Message-ID, written atomically) or stdout. Credentials come from settings.smtp,
which reads the password from the environment only (PRIVNEWS_SMTP__PASSWORD)."""
from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
import sys
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime
from pathlib import Path

logger = logging.getLogger(__name__)


class DeliveryError(RuntimeError):
    """Delivery failed; `transient` says whether trying again later can help."""

    def __init__(self, message: str, transient: bool):
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Destination:
    kind: str          # smtp | dir | stdout
    target: str        # comma-joined recipients | absolute directory | "-"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.target}"

    @property
    def recipients(self) -> list[str]:
        return self.target.split(",") if self.kind == "smtp" else []

    @classmethod
    def from_key(cls, key: str) -> "Destination":
        kind, _, target = key.partition(":")
        return cls(kind, target)


def destinations(to: tuple[str, ...], data_dir: Path) -> list[Destination]:
    """All e-mail addresses of a subscription share one message; each directory and stdout is its own
    destination. Relative directories are resolved against settings.data_dir."""
    emails = [t for t in to if "@" in t]
    out = [Destination("smtp", ",".join(sorted(set(emails))))] if emails else []
    for t in to:
        if "@" in t:
            continue
        if t in ("stdout", "-"):
            out.append(Destination("stdout", "-"))
        else:
            p = Path(t).expanduser()
            out.append(Destination("dir", str((p if p.is_absolute() else Path(data_dir) / p).resolve())))
    return list(dict.fromkeys(out))


def build_mime(*, sender: str, recipients: list[str], subject: str, text: str, html: str | None,
               message_id: str, date: datetime) -> bytes:
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(recipients) if recipients else "undisclosed-recipients:;"
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    msg["X-Privnews-Digest"] = "1"
    msg.set_content(text, subtype="plain", charset="utf-8")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg.as_bytes()


def send_smtp(smtp_settings, sender: str, recipients: list[str], mime: bytes) -> None:
    """Hand one message to the SMTP server. Raises DeliveryError (transient for network trouble and 4xx)."""
    s = smtp_settings
    ca_file = getattr(s, "ca_file", None)
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    try:
        if s.security == "ssl":
            client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        with client:
            if s.security == "starttls":
                client.starttls(context=context)
            if s.username:
                if s.password is None:
                    raise DeliveryError(f"smtp.username is {s.username!r} but no password is set; set "
                                        "PRIVNEWS_SMTP__PASSWORD in the environment", transient=False)
                client.login(s.username, s.password.get_secret_value())
            refused = client.sendmail(sender, recipients, mime)
            if refused:
                raise DeliveryError(f"the SMTP server refused some recipients: {refused}", transient=False)
    except DeliveryError:
        raise
    except smtplib.SMTPResponseException as exc:
        transient = 400 <= exc.smtp_code < 500
        raise DeliveryError(f"SMTP {s.host}:{s.port} answered {exc.smtp_code} {exc.smtp_error!r}",
                            transient=transient) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"SMTP {s.host}:{s.port} refused all recipients: {exc.recipients}",
                            transient=False) from exc
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS with {s.host}:{s.port} failed ({exc}); check smtp.security "
                            "(none | starttls | ssl) and the server's certificate", transient=False) from exc
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, socket.timeout, ConnectionError,
            OSError) as exc:
        raise DeliveryError(f"cannot reach SMTP server {s.host}:{s.port} ({exc}); check smtp.host/port "
                            "and whether the server is up. The digest stays in the outbox and is sent by the "
                            "next run.", transient=True) from exc
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"SMTP {s.host}:{s.port} failed: {exc}", transient=False) from exc


def digest_file(directory: Path, stem: str, formats: tuple[str, ...]) -> Path:
    return Path(directory) / f"{stem}.{'html' if 'html' in formats else 'txt'}"


def write_file(path: Path, body: str) -> Path:
    """Write atomically (temp file + rename): a re-delivery replaces the file with identical content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, path)
    return path


def write_stdout(body: str) -> None:
    sys.stdout.write(body)
    sys.stdout.flush()
