"""The Duplicates workspace: likely duplicate people, merged or dismissed."""
