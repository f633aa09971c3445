"""Teachers' classes: rosters with join codes, assignments with due dates, and imports."""
