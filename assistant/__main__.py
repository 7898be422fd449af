from assistant.settings import quiet_this_process

quiet_this_process()  # before the command line imports TensorFlow

from assistant.cli import main  # noqa: E402 - after the libraries were told to be quiet
from assistant.runtime.quiet import silence_library_warnings  # noqa: E402

silence_library_warnings()
main()
