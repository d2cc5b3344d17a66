"""The ids of a COCO instances file, streamed in memory bounded by the block size.

Kept: ``category_id`` and ``image_id`` of every annotation, ``id`` of every image (when asked) and
the ``categories`` list (small: its text is kept and read with ``json.loads``). The file is read
:data:`BLOCK` bytes at a time; each block is cut just after its last ``}`` outside strings and the
rest carried to the next, so that no string, no key and its value and no UTF-8 character is
split. A block is scanned with numpy, never byte by byte in Python:

* strings: the double quotes that are not escaped (a quote after an odd run of backslashes is),
  taken in pairs;
* brackets ``{[]}`` outside strings: their depth is a running sum, each closer's opener is the
  bracket before it at its depth (same kind, checked), and the open ones are carried;
* the top-level keys: the text at depth 1 between the top-level containers (``"images": ``, a
  few bytes) is read with ``json.loads`` and names the container that follows;
* in ``annotations`` (and ``images``): every element is an object, one comma between two of them;
  a string at depth 3 spelled ``"category_id"``, ``"image_id"`` (``"id"``) and followed by ``:`` is
  a key, and its integer value is parsed from the next few bytes (vectorised); a key written with
  a backslash escape is decoded, in case it spells one of those;
* every annotation has one ``category_id`` and one ``image_id``, every image one ``id``.

Anything else (a missing or repeated key, an id that is not an integer, a repeated top-level key,
bytes that are not UTF-8, brackets or strings that do not close) raises :class:`NotStreamable`;
the caller then reads the file with ``json.load``, which gives the exact counts or the exact
error. The structure is checked everywhere, the JSON grammar only in part (the top-level keys, the
categories, the commas between annotations, the keys and ids read): junk after a value, raw
control characters inside a string, a missing comma inside an element or between images, or a
malformed number in a segmentation, which ``json.load`` reports, passes here.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import NamedTuple

import numpy as np

#: Bytes read at a time (tests set it small, so that keys and strings straddle blocks).
BLOCK = 4 << 20
#: Whitespace skipped at most after a key and after its ``:`` (a longer run: NotStreamable).
WINDOW = 64
#: Digits of an id at most (int64; a longer one: NotStreamable).
MAX_DIGITS = 18
#: The keys read in each top-level list (``images`` only when the image ids are asked for).
KEYS = {"annotations": (b"category_id", b"image_id"), "images": (b"id",)}
REQUIRED = ("images", "annotations", "categories")

_WS = b" \t\n\r"
_OBJ, _ARR, _QUOTE, _BACKSLASH, _COLON, _COMMA, _MINUS = 0x7B, 0x5B, 0x22, 0x5C, 0x3A, 0x2C, 0x2D
_IS_WS = np.zeros(256, bool)
_IS_WS[list(_WS)] = True
_ENDS_INT = _IS_WS.copy()  # what may follow an integer value inside an object
_ENDS_INT[[_COMMA, 0x7D]] = True
_IN_GAP = _IS_WS.copy()  # what may stand between two elements of a list
_IN_GAP[_COMMA] = True
# the bounds of a top-level list and of its elements: list opens, element opens, element closes, list closes
_LIST, _ELEMENT, _ELEMENT_END, _LIST_END = 0, 1, 2, 3


class NotStreamable(Exception):
    """The file needs the exact ``json.load`` path (an unusual document, or an invalid one)."""


class Ids(NamedTuple):
    categories: list  # the 'categories' list, as json.loads reads it
    category_ids: np.ndarray  # int64, category_id of each annotation
    image_keys: np.ndarray  # int64, image_id of each annotation
    image_ids: np.ndarray | None  # int64, id of each entry of 'images' (when asked for)


def stream_ids(f, images: bool = False) -> Ids:
    """The :class:`Ids` of the COCO file open as the binary stream ``f``, or :class:`NotStreamable`."""
    scan = _Scan(("annotations", "images") if images else ("annotations",))
    carry = b""
    waiting: list[bytes] = []  # blocks with no "}" in them: nothing to cut at, kept without re-copying
    for data in _blocks(f):
        if b"}" not in data:
            waiting.append(data)
            continue
        buf = b"".join([carry, *waiting, data]) if carry or waiting else data
        waiting = []
        carry = buf[scan.block(buf):]
    return scan.finish(b"".join([carry, *waiting]))


def _blocks(f):
    """The bytes of ``f``, :data:`BLOCK` at a time, without a leading UTF-8 byte order mark."""
    first = True
    while True:
        try:
            data = f.read(max(BLOCK, 4))
        except Exception as exc:  # gzip or I/O: json.load's path reports it as every reader does
            raise NotStreamable from exc
        if not data:
            return
        if first and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        first = False
        yield data


class _Scan:
    """What the blocks scanned so far left open, and what they found."""

    def __init__(self, lists: tuple[str, ...]) -> None:
        self.lists = lists
        self.stack: list[int] = []  # the open brackets, outermost first
        self.top = 0  # 0: before the top-level object, 1: inside it, 2: after it
        self.region = b""  # depth-1 text carried from the blocks before
        self.start = 0  # where the depth-1 text starts in this block
        self.after_list = False  # the depth-1 text follows a container (so it starts with a comma)
        self.keys: list[str] = []  # top-level keys, in file order
        self.kinds: dict[str, int] = {}  # top-level key -> the bracket of its container
        self.section: str | None = None  # the top-level container open at the end of the block
        self.categories = bytearray()
        self.elements = dict.fromkeys(lists, 0)
        self.gap: dict[str, tuple[int, int] | None] = dict.fromkeys(lists)  # open gap: (its start, commas)
        self.found: dict[tuple[str, bytes], list] = {(n, k): [] for n in lists for k in KEYS[n]}  # value arrays
        self.n_found = dict.fromkeys(self.found, 0)

    # -- one block --------------------------------------------------------------------------
    def block(self, buf: bytes) -> int:
        """Scan ``buf`` up to its last ``}`` outside strings; return where the rest starts (0: all
        of it is carried, as no such ``}`` is in it yet)."""
        end = buf.rfind(b"}") + 1
        a = np.frombuffer(buf, np.uint8, count=end)
        quotes, br, slashes = _strings_and_brackets(a, buf)
        closers = br[a[br] == 0x7D]
        if not closers.size:
            return 0
        cut = int(closers[-1]) + 1
        a, quotes, br = a[:cut], quotes[:np.searchsorted(quotes, cut)], br[:np.searchsorted(br, cut)]
        if self.top == 0 and not re.match(rb"[ \t\n\r]*\{", buf):
            raise NotStreamable  # not an object (json.load says what it is)
        if a.max() >= 0x80:
            _check_utf8(buf, cut)
        kind = a[br]
        step = np.where(kind & 2, 1, -1)  # { and [ have bit 2, } and ] not
        depth = np.cumsum(np.r_[len(self.stack), step])  # after 0, 1, 2... brackets
        level = depth[1:] - (step > 0)  # the depth around the bracket's container
        self._match(kind, level, int(depth[-1]))
        for name, lo, hi in self._top(buf, br, kind, level, cut):
            if name == "categories":
                self.categories += buf[lo:hi]
            elif name in self.lists:
                self._list(name, _Block(a, br, kind, level, depth, quotes[0::2], quotes[1::2], slashes), lo, hi)
        return cut

    def _match(self, kind: np.ndarray, level: np.ndarray, depth: int) -> None:
        """Check that each closer closes the opener before it at its depth; carry the open ones."""
        lv = np.concatenate([np.arange(len(self.stack)), level])
        if lv.size and (lv.min() < 0 or lv.max() > 30000):
            raise NotStreamable  # a closer without opener, or nesting beyond int16
        kd = np.concatenate([np.asarray(self.stack, np.uint8), kind])
        order = np.argsort(lv.astype(np.int16), kind="stable")
        lv, kd = lv[order], kd[order]
        closers = np.flatnonzero((kd & 2) == 0)
        if closers.size and (closers[0] == 0 or not ((lv[closers - 1] == lv[closers])
                                                    & (kd[closers - 1] + 2 == kd[closers])).all()):
            raise NotStreamable  # } closing [ or ] closing {
        self.stack = kd[np.searchsorted(lv, np.arange(depth), side="right") - 1].tolist()

    def _top(self, buf: bytes, br, kind, level, cut: int) -> list[tuple[str, int, int]]:
        """Walk the top-level object and its containers: ``(key, start, end)`` of each container's
        part in this block (``end`` just after its closer, or ``cut``)."""
        spans = []
        lo = 0
        for i in np.flatnonzero(level <= 1).tolist():
            pos, opener = int(br[i]), bool(kind[i] & 2)
            if level[i] == 0 and opener:
                if self.top:
                    raise NotStreamable  # a second top-level value
                self.top, self.start = 1, pos + 1
            elif level[i] == 0:
                self._keys(self._region(buf, pos), final=True)
                self.top = 2
            elif opener:
                self.section = self._keys(self._region(buf, pos), final=False)
                self.kinds[self.section] = int(kind[i])
                lo = pos
            else:
                spans.append((self.section, lo, pos + 1))
                self.section, self.start, self.after_list = None, pos + 1, True
        if self.section is not None:
            spans.append((self.section, lo, cut))
        elif self.top == 1:
            self.region += buf[self.start:cut]
            self.start = 0
        return spans

    def _region(self, buf: bytes, pos: int) -> bytes:
        text, self.region = self.region + buf[self.start:pos], b""
        return text

    def _keys(self, text: bytes, final: bool) -> str | None:
        """Read the top-level pairs in ``text`` (depth-1 text up to a container, or up to the end of
        the object when ``final``); return the key of the container that follows."""
        body = text.strip(_WS)
        if self.after_list:
            if not body and final:
                return None
            if body[:1] != b"," or not body[1:].strip(_WS):
                raise NotStreamable  # no comma after a container, or a comma before nothing
            body = body[1:]
        try:
            pairs = json.loads(b"{" + body + (b"}" if final else b" null}"), object_pairs_hook=list)
        except (ValueError, RecursionError):
            raise NotStreamable from None
        self.keys += [k for k, _ in pairs]
        return None if final else pairs[-1][0]

    # -- a top-level list ---------------------------------------------------------------------
    def _list(self, name: str, at: _Block, lo: int, hi: int) -> None:
        """The elements of list ``name`` in ``[lo, hi)`` of the block, and their keys' values."""
        i0, i1 = np.searchsorted(at.br, [lo, hi])
        lv, kd, pos = at.level[i0:i1], at.kind[i0:i1], at.br[i0:i1]
        edge = lv <= 2
        lv, kd, pos = lv[edge], kd[edge], pos[edge]
        bound = np.where(lv == 1, np.where(kd & 2, _LIST, _LIST_END), np.where(kd & 2, _ELEMENT, _ELEMENT_END))
        starts = pos[bound == _ELEMENT]
        if (at.a[starts] != _OBJ).any():
            raise NotStreamable  # an element that is not an object
        self._gaps(name, at.a, pos, bound, hi)
        if at.slashes is not None:
            _check_escaped_keys(at, lo, hi, KEYS[name])
        for key in KEYS[name]:
            where, values = _values(at, key, lo, hi)
            self._found((name, key), np.searchsorted(starts, where) - 1 + self.elements[name], values)
        self.elements[name] += len(starts)

    def _found(self, name_key: tuple[str, bytes], element: np.ndarray, values: np.ndarray) -> None:
        """Keep the values of a key found in elements ``element``: the next ones, one each."""
        n = self.n_found[name_key]
        if not np.array_equal(element, np.arange(n, n + len(element))):
            raise NotStreamable  # an element without the key, or with it twice
        self.found[name_key].append(values)
        self.n_found[name_key] = n + len(element)

    def _gaps(self, name: str, a: np.ndarray, pos: np.ndarray, bound: np.ndarray, hi: int) -> None:
        """Check the text between the elements of a list: whitespace, and one comma between two
        elements (none after ``[`` or before ``]``). A gap still open at ``hi`` is carried."""
        first = np.flatnonzero((bound == _LIST) | (bound == _ELEMENT_END))
        has_end = first + 1 < len(bound)
        nxt = np.minimum(first + 1, max(len(bound) - 1, 0))
        g_lo, g_hi = pos[first] + 1, np.where(has_end, pos[nxt], hi)
        g_from, g_to = bound[first], np.where(has_end, bound[nxt], -1)
        commas0 = np.zeros(len(first), np.int64)
        carried = self.gap[name]
        if carried is not None:
            end = pos[0] if len(pos) else hi
            g_lo, g_hi = np.r_[0, g_lo], np.r_[end, g_hi]
            g_from, g_to = np.r_[carried[0], g_from], np.r_[bound[0] if len(pos) else -1, g_to]
            commas0 = np.r_[carried[1], commas0]
        text, gap = _ranges(a, g_lo, g_hi)
        if not _IN_GAP[text].all():
            raise NotStreamable  # a value between the elements that is not an object
        commas = commas0 + np.bincount(gap, weights=text == _COMMA, minlength=len(g_lo)).astype(np.int64)
        closed = g_to >= 0
        want = ((g_from == _ELEMENT_END) & (g_to == _ELEMENT)).astype(np.int64)
        if (commas[closed] != want[closed]).any():
            raise NotStreamable  # a missing, doubled or trailing comma
        self.gap[name] = (int(g_from[~closed][0]), int(commas[~closed][0])) if (~closed).any() else None

    # -- the end ------------------------------------------------------------------------------
    def finish(self, carry: bytes) -> Ids:
        """The :class:`Ids`, once every block is scanned (``carry``: the bytes after the last one)."""
        if carry.strip(_WS) or self.top != 2:
            raise NotStreamable  # cut short, or text after the object
        if len(set(self.keys)) != len(self.keys) or any(self.kinds.get(k) != _ARR for k in REQUIRED):
            raise NotStreamable  # a key given twice (json.load keeps the last), or a list missing
        try:
            categories = json.loads(bytes(self.categories))
        except (ValueError, RecursionError):
            raise NotStreamable from None
        image_ids = self._column("images", b"id") if "images" in self.lists else None
        return Ids(categories, self._column("annotations", b"category_id"),
                   self._column("annotations", b"image_id"), image_ids)

    def _column(self, name: str, key: bytes) -> np.ndarray:
        """The value of ``key`` in each element of list ``name``, or NotStreamable."""
        if self.n_found[(name, key)] != self.elements[name]:
            raise NotStreamable  # the last elements without the key
        return np.concatenate([np.zeros(0, np.int64), *self.found[(name, key)]])


def _strings_and_brackets(a: np.ndarray, buf: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(the unescaped quotes, the brackets outside strings, the backslashes or None) of bytes that
    start outside a string: a bracket is outside when the quotes before it are even."""
    x = a | 0x20
    hits = np.flatnonzero((a == _QUOTE) | (x == 0x7B) | (x == 0x7D))  # " {[ }]
    is_quote = a[hits] == _QUOTE
    is_bracket = ~is_quote
    slashes = None
    if buf.find(b"\\", 0, len(a)) >= 0:
        slashes = np.flatnonzero(a == _BACKSLASH)
        is_quote[np.flatnonzero(is_quote)[_escaped(hits[is_quote], slashes)]] = False
        if not (np.searchsorted(hits[is_quote], slashes) & 1).all():
            raise NotStreamable  # a backslash outside a string
    return hits[is_quote], hits[is_bracket & ((np.cumsum(is_quote) & 1) == 0)], slashes


class _Block(NamedTuple):
    a: np.ndarray  # the block's bytes
    br: np.ndarray  # positions of the brackets outside strings
    kind: np.ndarray  # each one's byte
    level: np.ndarray  # the depth around its container (the top-level object's is 0)
    depth: np.ndarray  # the depth after the first 0, 1, 2... of them
    opens: np.ndarray  # opening quotes
    closes: np.ndarray  # the closing quote of each
    slashes: np.ndarray | None  # backslashes (None: there is none)


def _values(at: _Block, key: bytes, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """(position, integer value) of each ``key`` of an element (depth 3) in ``[lo, hi)``."""
    a = at.a
    i0, i1 = np.searchsorted(at.opens, [lo, hi])
    pick = np.flatnonzero(at.closes[i0:i1] - at.opens[i0:i1] == len(key) + 1) + i0
    o, c = at.opens[pick], at.closes[pick]
    spelled = (a[o[:, None] + np.arange(1, len(key) + 1)] == np.frombuffer(key, np.uint8)).all(axis=1)
    o, c = o[spelled], c[spelled]
    keep = at.depth[np.searchsorted(at.br, o)] == 3
    o, c = o[keep], c[keep]
    colon = _skip_ws(a, c + 1)
    keep = a[colon] == _COLON  # a key; a string value spelled the same is followed by , or }
    return o[keep], _ints(a, _skip_ws(a, colon[keep] + 1))


def _check_escaped_keys(at: _Block, lo: int, hi: int, keys: tuple[bytes, ...]) -> None:
    """NotStreamable when a key of an element in ``[lo, hi)`` written with a backslash escape (e.g.
    ``"\\u0069d"``) is one of ``keys``, which :func:`_values` looks for spelled out."""
    slashes = at.slashes[(at.slashes >= lo) & (at.slashes < hi)]
    i = np.unique(np.searchsorted(at.opens, slashes, side="right") - 1)  # the strings holding them
    o, c = at.opens[i], at.closes[i]
    keep = at.depth[np.searchsorted(at.br, o)] == 3
    o, c = o[keep], c[keep]
    keep = at.a[_skip_ws(at.a, c + 1)] == _COLON
    try:
        names = {json.loads(at.a[x:y + 1].tobytes()) for x, y in zip(o[keep].tolist(), c[keep].tolist())}
    except ValueError:
        raise NotStreamable from None  # an invalid escape
    if names & {key.decode() for key in keys}:
        raise NotStreamable


def _skip_ws(a: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The first byte that is not whitespace from each position (within :data:`WINDOW` bytes; the
    block ends with ``}``, so none runs past it)."""
    for _ in range(WINDOW):
        space = _IS_WS[a[at]]
        if not space.any():
            return at
        at = at + space
    raise NotStreamable  # a long run of whitespace


def _ints(a: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The JSON integer starting at each position (int64), or NotStreamable for any other value."""
    neg = a[at] == _MINUS
    at = at + neg
    value = np.zeros(len(at), np.int64)
    digits = np.zeros(len(at), np.int64)
    live = np.ones(len(at), bool)
    for _ in range(MAX_DIGITS + 1):
        byte = a[at]
        digit = live & (byte - 0x30 < 10)  # uint8: the bytes below '0' wrap above 9
        if not _ENDS_INT[byte[live & ~digit]].all():
            raise NotStreamable  # a string, float, null, list... where the integer should be
        value = np.where(digit, value * 10 + (byte.astype(np.int64) - 0x30), value)
        digits += digit
        live = digit
        if not live.any():
            break
        at = at + digit
    if live.any() or (digits == 0).any() or ((a[at - digits] == 0x30) & (digits > 1)).any():
        raise NotStreamable  # too long, no digit, or a leading zero (invalid JSON)
    return np.where(neg, -value, value)


def _escaped(quotes: np.ndarray, slashes: np.ndarray) -> np.ndarray:
    """For each quote, whether a run of an odd number of backslashes ends just before it."""
    j = np.minimum(np.searchsorted(slashes, quotes - 1), len(slashes) - 1)
    after = slashes[j] == quotes - 1
    run_start = np.ones(len(slashes), bool)
    run_start[1:] = np.diff(slashes) != 1
    first = np.maximum.accumulate(np.where(run_start, np.arange(len(slashes)), 0))
    return after & ((j - first[j]) % 2 == 0)


def _ranges(a: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bytes of the ranges ``[lo, hi)`` one after the other, and the range of each."""
    n = hi - lo
    which = np.repeat(np.arange(len(n)), n)
    offset = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    return a[lo[which] + offset], which


def _check_utf8(buf: bytes, cut: int) -> None:
    try:
        str(memoryview(buf)[:cut], "utf-8", "surrogatepass")
    except UnicodeDecodeError:
        raise NotStreamable from None  # json.load says where
