"""Compact maps from IMDb's numeric IDs (tt0118849 → 118849) to row ids.

A dict of a million ints costs about 100 MB; two arrays of 8-byte integers,
searched by bisection, cost 16 MB. IMDb's files come sorted by ID, so keys
are appended in order; `seal()` sorts them if a file was not.
"""

from array import array
from bisect import bisect_left


class IdMap:
    def __init__(self):
        self.keys = array("q")
        self.values = array("q")
        self.ordered = True

    def __len__(self):
        return len(self.keys)

    def add(self, key, value):
        if self.keys and key <= self.keys[-1]:
            if key == self.keys[-1]:
                self.values[-1] = value
                return
            self.ordered = False
        self.keys.append(key)
        self.values.append(value)

    def seal(self):
        """Sort by key (only when keys came out of order), keeping the last value of a key."""
        if self.ordered:
            return
        pairs = dict(zip(self.keys, self.values, strict=True))
        self.keys = array("q", sorted(pairs))
        self.values = array("q", (pairs[key] for key in self.keys))
        self.ordered = True

    def get(self, key, default=None):
        index = bisect_left(self.keys, key)
        if index < len(self.keys) and self.keys[index] == key:
            return self.values[index]
        return default

    def __contains__(self, key):
        return self.get(key) is not None


class Bitmap:
    """A set of non-negative integers below a few hundred million, one bit each."""

    def __init__(self):
        self.bits = bytearray()
        self.count = 0

    def add(self, n):
        byte = n >> 3
        if byte >= len(self.bits):
            self.bits.extend(bytes(byte - len(self.bits) + 1 + (1 << 16)))
        mask = 1 << (n & 7)
        if not self.bits[byte] & mask:
            self.bits[byte] |= mask
            self.count += 1

    def __contains__(self, n):
        byte = n >> 3
        return byte < len(self.bits) and bool(self.bits[byte] & (1 << (n & 7)))

    def __len__(self):
        return self.count
