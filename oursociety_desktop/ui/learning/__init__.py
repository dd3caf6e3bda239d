"""The Learning workspace (lessons and stories) and the Offers & needs view (matches)."""
