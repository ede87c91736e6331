"""The knowledge base's screens: suggestions beside intake, the knowledge window, the editor."""
