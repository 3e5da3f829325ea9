"""A Merkle tree in the style of RFC 6962 / RFC 9162 (Certificate Transparency): SHA-256,
leaves hashed with a 0x00 prefix and inner nodes with 0x01, so that a leaf can never be
passed off as an inner node. Pairing neighbours level by level and carrying an odd last
node up unchanged builds exactly the RFC's tree (split at the largest power of two)."""

import hashlib

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _up(level):
    return [node_hash(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)]


def root(leaves):
    """The tree head over leaf hashes (not leaf data), in order."""
    level = list(leaves)
    if not level:
        return EMPTY_ROOT
    while len(level) > 1:
        level = _up(level)
    return level[0]


def inclusion_proof(leaves, index):
    """The audit path of leaf `index`: the sibling hashes from the leaf up to the root."""
    if not 0 <= index < len(leaves):
        raise IndexError("leaf index outside the tree")
    path, level = [], list(leaves)
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(level[sibling])
        index //= 2
        level = _up(level)
    return path


def verify_inclusion(leaf, index, tree_size, path, expected_root):
    """RFC 9162 section 2.1.3.2: True when `path` proves `leaf` (a leaf hash) is at
    `index` in the tree of `tree_size` leaves whose head is `expected_root`."""
    if not 0 <= index < tree_size:
        return False
    fn, sn, r = index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root
