"""What every page shares: home, support and learning pages, middleware, limits, addresses."""
