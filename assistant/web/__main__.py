"""`python -m assistant.web --port 8080 --rasa-url http://localhost:5005`: the web server
(assistant/web/server.py) in this process, until SIGINT or SIGTERM."""

import argparse
import logging
from pathlib import Path

from assistant.settings import WEB_HOST, WEB_PUBLIC_DIR
from assistant.web.server import create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m assistant.web", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rasa-url", required=True, help="where the widget talks to Rasa")
    parser.add_argument("--public", type=Path, default=WEB_PUBLIC_DIR, help="the folder of public files")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    app = create_app(arguments.rasa_url, arguments.public)
    app.config.MOTD = False
    app.run(host=WEB_HOST.get(), port=arguments.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
