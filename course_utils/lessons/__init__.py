"""One module per notebook: its exercises (``EXERCISES``) and questionnaire answers (``QUESTIONS``)."""
