"""The Network workspace: the network of introductions drawn, and the hubs it spans."""
