"""Full-screen views: the library table and the reading screen."""
