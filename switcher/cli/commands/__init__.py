"""The sub-command handlers, grouped by theme: each takes the parsed arguments and returns
the exit status. Heavy modules (boto3, Textual, the workspace) are imported inside them."""
