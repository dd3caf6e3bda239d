"""The Actions workspace: tasks, meetings, events, calls and follow-ups, filtered, edited and closed."""
