"""Services with one job each (the inventory, naming targets, the console), composed by the
workspace. They get what they need as arguments and never import the workspace."""
