"""The Groups workspace: nested groups as a tree, their members and roles."""
