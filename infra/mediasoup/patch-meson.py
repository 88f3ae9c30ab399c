"""Rewrite mediasoup's worker meson files to link Debian's system libraries.

Upstream's meson.build pulls every dependency with subproject(), which downloads
sources from the internet. For an offline build we swap each subproject for the
matching pkg-config dependency, drop the test and fuzzer targets (they need
catch2 as a subproject) and accept Debian bookworm's meson 1.0.
Usage: python3 patch-meson.py <worker-dir>
"""
import re
import sys
from pathlib import Path

worker = Path(sys.argv[1])

SYSTEM_DEPS = """
openssl_dep = dependency('openssl')
libuv_dep = dependency('libuv')
libsrtp_dep = dependency('libsrtp2')
usrsctp_dep = dependency('usrsctp')
flatbuffers_dep = dependency('flatbuffers')
absl_dep = [
  dependency('absl_flat_hash_map'), dependency('absl_flat_hash_set'),
  dependency('absl_btree'), dependency('absl_inlined_vector'),
  dependency('absl_optional'), dependency('absl_strings'), dependency('absl_memory'),
]
"""

REPLACEMENTS = {
    "abseil_cpp_proj.get_variable('absl_container_dep')": "absl_dep",
    "abseil_cpp_proj.get_variable('absl_strings_dep')": "absl_dep",
    "abseil_cpp_proj.get_variable('absl_types_dep')": "absl_dep",
    "openssl_proj.get_variable('openssl_dep')": "openssl_dep",
    "libuv_proj.get_variable('libuv_dep')": "libuv_dep",
    "libsrtp3_proj.get_variable('libsrtp3_dep')": "libsrtp_dep",
    "usrsctp_proj.get_variable('usrsctp_dep')": "usrsctp_dep",
    "flatbuffers_proj.get_variable('flatbuffers_dep')": "flatbuffers_dep",
}


def drop_subprojects(text: str) -> str:
    # `name_proj = subproject(\n ... \n)` blocks, multi-line.
    return re.sub(r"^(\w+)_proj = subproject\((?:[^()]|\([^()]*\))*\)\n", "", text, flags=re.M)


# Only referenced inside branches that never run here (Windows; io_uring, disabled).
ALLOWED_LEFTOVERS = {"wingetopt_proj", "liburing_proj"}


def patch_main(path: Path) -> None:
    text = path.read_text()
    text = text.replace("meson_version: '>= 1.1.0'", "meson_version: '>= 1.0.0'")
    # Tests and fuzzers need catch2/libFuzzer from subprojects: not part of the worker binary.
    cut = text.index("test_sources = [")
    text = text[:cut]
    text = drop_subprojects(text)
    # Static libraries from subprojects are linked whole upstream; system libs link normally.
    text = re.sub(r"^link_whole = \[.*?^\]\n", "link_whole = [ libwebrtc ]\n", text, flags=re.M | re.S)
    for old, new in REPLACEMENTS.items():
        text = text.replace(old, new)
    anchor = "# flatbuffers schemas subdirectory."
    text = text.replace(anchor, SYSTEM_DEPS + "\n" + anchor)
    leftover = set(re.findall(r"\w+_proj\b", text)) - ALLOWED_LEFTOVERS
    if leftover:
        raise SystemExit(f"unpatched subproject references in {path}: {sorted(leftover)}")
    path.write_text(text)


def patch_libwebrtc(path: Path) -> None:
    text = drop_subprojects(path.read_text())
    for old, new in REPLACEMENTS.items():
        text = text.replace(old, new)
    leftover = re.findall(r"\w+_proj\b", text)
    if leftover:
        raise SystemExit(f"unpatched subproject references in {path}: {sorted(set(leftover))}")
    path.write_text(text)


def patch_dtls(path: Path) -> None:
    # Debian's OpenSSL has kernel TLS: the BIO callback must test the RETURN bit,
    # or OpenSSL believes kTLS is on and writes through a null buffer (SIGSEGV on
    # the first DTLS handshake). See shared recipe mediasoup-worker-offline.md.
    text = path.read_text()
    old = "(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1"
    new = "(operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1"
    if old not in text and new not in text:
        raise SystemExit(f"DTLS BIO callback not found in {path}; check the fix for this mediasoup version")
    path.write_text(text.replace(old, new))


patch_main(worker / "meson.build")
patch_libwebrtc(worker / "deps/libwebrtc/meson.build")
patch_dtls(worker / "src/RTC/DtlsTransport.cpp")
print("patched", worker)
