"""The core use case: diagnostic + context -> prompt -> chain -> Explanation. No LSP types."""
