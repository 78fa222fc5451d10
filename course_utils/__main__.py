"""``python -m course_utils doctor | prefetch | run-all | progress | answers | solve | agenda | build-site | colab-links | project-score``."""
import argparse
import json
import sys
import time
from pathlib import Path

from .errors import CourseError


def doctor(_: argparse.Namespace) -> None:
    """Print the environment report: versions, device, network and what serves each role."""
    from .environment import environment_report

    print(environment_report())


def prefetch(_: argparse.Namespace) -> None:
    """Online: download every catalogue model into the Hub cache. Offline: build every provider.
    Then load every data set once, so a classroom can work without the network."""
    from tqdm.auto import tqdm

    from .data import course_datasets, load_course_dataset
    from .hub import hub_status
    from .models import catalogue, offline_model_dir, provider_info

    online, reason = hub_status()
    print(f"Hub {'online' if online else 'offline'} ({reason})")
    if online:
        from huggingface_hub import snapshot_download

        for role, entry in tqdm(catalogue()["roles"].items(), desc="models", unit="model"):
            print(f"{role}: {snapshot_download(entry['hub_id'])}")
    else:
        for provider in tqdm(catalogue()["providers"], desc="offline models", unit="model"):
            print(f"{provider}: {offline_model_dir(provider)}")
        for provider in catalogue()["providers"]:
            seconds = provider_info(provider).get("measured", {}).get("build_seconds")
            print(f"{provider:<36} {'package' if seconds is None else f'built in {seconds:.0f} s'}")
    for name in tqdm(course_datasets(), desc="data sets", unit="data set"):
        load_course_dataset(name)


def run_all(args: argparse.Namespace) -> None:
    """Execute notebooks in order with papermill into ``build/``; write ``build/timings.json``."""
    import papermill

    from .paths import build_dir, course_notebooks

    notebooks = course_notebooks()
    if args.only:
        notebooks = [path for path in notebooks if any(path.name.startswith(p) for p in args.only)]
    if not notebooks:
        raise CourseError(f"no notebook matches {args.only}")
    timings_file = build_dir() / "timings.json"
    timings = json.loads(timings_file.read_text()) if timings_file.is_file() else {}
    for path in notebooks:
        start = time.perf_counter()
        papermill.execute_notebook(
            str(path), str(build_dir() / path.name), cwd=str(path.parent), progress_bar=False
        )
        timings[path.stem] = round(time.perf_counter() - start, 1)
        print(f"{path.name}: {timings[path.stem]:.0f} s")
        timings_file.write_text(json.dumps(timings, indent=2, sort_keys=True))
    print(f"timings in {timings_file}; measurements in {build_dir() / 'metrics.json'}")


def progress(_: argparse.Namespace) -> None:
    """Show which exercises you have passed, per notebook (kept on this machine by check())."""
    from .progress import progress_table

    print(progress_table())


def answers(args: argparse.Namespace) -> None:
    """Write the answer key: every exercise's worked solution and every questionnaire's answers (Markdown)."""
    from .exercises import answer_key

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(answer_key(), encoding="utf-8")
    print(f"answer key written to {args.out}")


def solve(args: argparse.Namespace) -> None:
    """Write a copy of a notebook with every exercise cell replaced by its worked solution."""
    from .paths import build_dir
    from .solved import write_solved

    target = build_dir() / f"{args.notebook.stem}_solved.ipynb"
    print(f"solved copy written to {write_solved(args.notebook, target)}: run it beside the original notebook")


def build_site_command(args: argparse.Namespace) -> None:
    """Render every notebook, with its outputs, to static HTML plus a contents page (build/site)."""
    from .site import build_site

    start = time.perf_counter()
    folder = build_site(args.out)
    print(f"site built in {time.perf_counter() - start:.1f} s: open {folder / 'index.html'}")


def agenda_command(args: argparse.Namespace) -> None:
    """Print a workshop agenda (Markdown) from the notebooks and their measured run times."""
    from .workshop import agenda

    print(agenda(args.days))


def colab_links(_: argparse.Namespace) -> None:
    """Rewrite every notebook's Colab badge and set-up cell from pyproject.toml's Repository URL."""
    from .colab import repository_url, sync_colab_cells

    changed = sync_colab_cells()
    print(f"{len(changed)} notebook(s) updated for {repository_url()}: {', '.join(changed) or 'none needed'}")


def project_score(args: argparse.Namespace) -> int:
    """Score a project's predictions file (JSON Lines) against its success criterion; exit 1 if not met."""
    from .projects import score_predictions

    score = score_predictions(args.project, args.predictions)
    print(score)
    return 0 if score.passed else 1


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints a one-line error instead of a traceback for course errors."""
    parser = argparse.ArgumentParser(prog="python -m course_utils", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("doctor", help=doctor.__doc__).set_defaults(run=doctor)
    commands.add_parser("prefetch", help=prefetch.__doc__).set_defaults(run=prefetch)
    runner = commands.add_parser("run-all", help=run_all.__doc__)
    runner.add_argument("--only", nargs="+", metavar="PREFIX", help="notebook name prefixes, e.g. 00 01")
    runner.set_defaults(run=run_all)
    commands.add_parser("progress", help=progress.__doc__).set_defaults(run=progress)
    key = commands.add_parser("answers", help=answers.__doc__)
    key.add_argument("--out", type=Path, default=Path("build") / "ANSWERS.md", help="default: build/ANSWERS.md")
    key.set_defaults(run=answers)
    solver = commands.add_parser("solve", help=solve.__doc__)
    solver.add_argument("notebook", type=Path, help="e.g. notebooks/07_fine_tuning_with_trainer.ipynb")
    solver.set_defaults(run=solve)
    site = commands.add_parser("build-site", help=build_site_command.__doc__)
    site.add_argument("--out", type=Path, help="output folder (default: build/site)")
    site.set_defaults(run=build_site_command)
    planner = commands.add_parser("agenda", help=agenda_command.__doc__)
    planner.add_argument("--days", type=int, choices=[1, 3], default=3, help="1: the core path; 3: every notebook")
    planner.set_defaults(run=agenda_command)
    commands.add_parser("colab-links", help=colab_links.__doc__).set_defaults(run=colab_links)
    scorer = commands.add_parser("project-score", help=project_score.__doc__)
    scorer.add_argument("project", help="the project's name, as in projects/README.md (e.g. sentiment-analyser)")
    scorer.add_argument("predictions", type=Path, help="JSON Lines file: {\"id\": ..., \"prediction\": ...} per line")
    scorer.set_defaults(run=project_score)
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
