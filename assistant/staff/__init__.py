"""The staff web app under /beheer/ for helpdesks, Wmo-raden and beheerders, and its accounts."""
