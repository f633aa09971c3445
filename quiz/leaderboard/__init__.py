"""Leaderboards: stored totals per player and board, ranks read from them, pages of a board."""
