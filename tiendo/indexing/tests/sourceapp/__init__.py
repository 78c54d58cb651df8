"""A stand-in for another app (such as the data catalogue) that registers an automatic source."""
