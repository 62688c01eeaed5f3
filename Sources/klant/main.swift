print("klant: not wired yet")
