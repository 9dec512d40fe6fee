# English dates as the guide writes them, "7 December 2026" (Django's English default is
# "Dec. 7, 2026"). Spanish and German keep Django's own: "7 de diciembre de 2026",
# "7. Dezember 2026".
DATE_FORMAT = "j F Y"
