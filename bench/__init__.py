"""`make bench`: how fast the quiz engine generates questions, and what loading the facts costs."""
