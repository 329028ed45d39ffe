"""The Connection Check on the web: each person's answers, pages, results and safety screens."""
