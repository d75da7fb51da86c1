"""Chat UI entry point: builds the index of sources/ on first run, serves on 127.0.0.1:7860."""

from assistant.gradio_ui import main

if __name__ == "__main__":
    main()
