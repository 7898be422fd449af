"""`./wegwijzer staff add|list|remove|api-key`: staff accounts from the command line.

./wegwijzer staff add j.devries --role helpdesk --gemeente GM0363
./wegwijzer staff list
./wegwijzer staff remove j.devries
./wegwijzer staff api-key zaaksysteem-ede    # a key for the JSON admin API, with the account's role
"""

import argparse
import sys
from typing import List

from assistant.staff.accounts import ROLES, StaffError, StaffStore


def main(arguments: List[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="wegwijzer staff", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="a new account with a one-time password")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--gemeente", action="append", default=[], help="a CBS code; repeat for several municipalities")
    commands.add_parser("list", help="every account")
    remove = commands.add_parser("remove", help="delete an account and end its sessions")
    remove.add_argument("name")
    api_key = commands.add_parser("api-key", help="a new key for the admin API (replaces the account's old key)")
    api_key.add_argument("name")
    parsed = parser.parse_args(arguments)
    store = StaffStore()
    try:
        if parsed.command == "add":
            account, one_time = store.add(parsed.name, parsed.role, parsed.gemeente)
            print(f"Account {account.name} ({account.role}) is aangemaakt.")
            print(f"Eenmalig wachtwoord: {one_time}")
            print("Geef het veilig door. Bij de eerste keer aanmelden kiest de medewerker een eigen wachtwoord.")
        elif parsed.command == "list":
            for account in store.accounts():
                where = "alle gemeenten" if account.sees_all else " ".join(account.municipalities)
                waiting = " (eenmalig wachtwoord nog niet vervangen)" if account.must_change_password else ""
                key = " (met API-sleutel)" if store.has_api_key(account.name) else ""
                print(f"{account.name:<24} {account.role:<10} {where}{waiting}{key}")
        elif parsed.command == "api-key":
            key = store.new_api_key(parsed.name)
            print(f"API-sleutel voor {parsed.name}: {key}")
            print("Bewaar hem veilig: hij wordt niet nog eens getoond. Een eerdere sleutel werkt niet meer.")
        elif not store.remove(parsed.name):
            sys.exit(f"Er is geen account met de naam {parsed.name}.")
        else:
            print(f"Account {parsed.name} is verwijderd.")
    except StaffError as error:
        sys.exit(str(error))
