import sys
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(FileBackend):
    """Embedded default: every delivered mail is kept whole as a file in var/mail/, and the
    console gets one line per mail (recipients, subject, file), not the body.

    Whole bodies drowned the `make run` output; the file is where a developer reads a mail.
    """

    def __init__(self, *args, console=None, **kwargs):
        self.console = console
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages):
        count = super().send_messages(email_messages)
        if count:
            path = _shown_path(self._get_filename())
            console = self.console or sys.stdout
            for message in email_messages[:count]:
                recipients = ", ".join(message.recipients())
                console.write(f'E-mail to {recipients} "{message.subject}" -> {path}\n')
            console.flush()
        return count


def _shown_path(filename: str) -> str:
    """Relative to the working directory when below it (var/mail/...), else absolute."""
    path = Path(filename)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
