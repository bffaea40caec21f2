"""Signed content packs from the district (DESIGN.md §8): data only, never code.

A pack is a complete snapshot of the shipped content (forms/ and translations/), so no
mix of two packs can ever be active (TUF's mix-and-match defence). It is a zip archive with
`manifest.json` (format, version, publication and expiry time, every file's size and
SHA-256) and `manifest.sig` (Ed25519 over the manifest's bytes, base64). A desk installs a
pack only if the signature verifies with the district key it pinned at enrolment, the
version is newer than the installed one (no rollback), it has not expired, and every
file is listed, hashed right and valid for this app.
"""
