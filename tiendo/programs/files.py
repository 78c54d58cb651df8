"""Evidence uploads: size and type checked by content, never by the name the browser sent."""

from __future__ import annotations

import os
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# content type -> stored extension
ALLOWED = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "text/plain": "txt",
}
_OOXML = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def sniff(head: bytes, upload: UploadedFile) -> str | None:
    """The content type of a file judged by its bytes, or None if it is not an accepted kind."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    return mimetype if mimetype in ALLOWED else None
                if "[Content_Types].xml" in names:
                    for prefix, ext in _OOXML.items():
                        if any(n.startswith(prefix) for n in names):
                            return next(ct for ct, e in ALLOWED.items() if e == ext)
        except zipfile.BadZipFile:
            return None
        return None
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            if exc.start < len(head) - 4:
                return None
        return "text/plain"
    return None


def check_upload(upload: UploadedFile) -> tuple[UploadedFile, str]:
    """Validate an upload and give it a safe random name; return it with its real content type."""
    limit = settings.TIENDO_UPLOAD_MAX_BYTES
    original = os.path.basename(upload.name or "file").strip() or "file"
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {
                "files": _("%(name)s is too large (%(size)s); the limit is %(limit)s.")
                % {
                    "name": original,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(limit),
                }
            }
        )
    upload.seek(0)
    head = upload.read(2048)
    content_type = sniff(head, upload)
    upload.seek(0)
    if content_type is None:
        raise ValidationError(
            {
                "files": _(
                    "%(name)s is not an accepted kind of file. Accepted: PDF, images (PNG, JPEG), "
                    "Word, Excel, PowerPoint, OpenDocument and plain text."
                )
                % {"name": original}
            }
        )
    upload.original_name = original[:255]  # type: ignore[attr-defined]
    upload.name = f"{uuid.uuid4().hex}.{ALLOWED[content_type]}"
    return upload, content_type
