"""industry-kg: Chinese industrial-policy articles → a knowledge graph."""

__version__ = "0.1.0"
