"""Helpers for the Hugging Face transformers course: model and data resolution, metrics, exercises.

The notebooks call ``transformers`` themselves; this package only decides *which* model or data set
serves (the real Hub model online, a package-carried or course-built provider offline) and keeps
the bookkeeping (measurements, exercise checks) out of the lessons.
"""
# First, before anything imports transformers (which imports torchao when it is installed): see library_warnings.py
from .library_warnings import hide_library_log_messages

hide_library_log_messages()

from .claims import paired_difference, rate_against_chance, ratio_verdict, wilson_interval
from .data import course_datasets, load_course_dataset
from .environment import environment_report
from .errors import show_course_errors_briefly
from .exercises import check, show_answers, show_solution
from .hub import is_online
from .memory import peak_memory_mb
from .metrics import classification_metrics, load_metric
from .models import course_model_path, course_roles, load_course_model, saved_tweet_classifier
from .paths import readable_paths
from .record import record, recorded, show_recorded

show_course_errors_briefly()

__all__ = [
    "check",
    "classification_metrics",
    "course_datasets",
    "course_model_path",
    "course_roles",
    "environment_report",
    "is_online",
    "load_course_dataset",
    "load_course_model",
    "load_metric",
    "paired_difference",
    "peak_memory_mb",
    "rate_against_chance",
    "ratio_verdict",
    "readable_paths",
    "record",
    "recorded",
    "saved_tweet_classifier",
    "show_answers",
    "show_recorded",
    "show_solution",
    "wilson_interval",
]
