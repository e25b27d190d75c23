import time

from django.core.management.base import BaseCommand, CommandError

from khuyencong.core import synth


class Command(BaseCommand):
    help = "Build a synthetic dataset (national: 34 provinces, 300,000 establishments ...) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(synth.SCALES), default="tiny")
        parser.add_argument("--seed", type=int, default=13)

    def handle(self, *args, **options):
        start = time.perf_counter()
        self.stdout.write(f"Building the {options['scale']} synthetic dataset (seed {options['seed']}) ...")
        try:
            counts = synth.build(scale=options["scale"], seed=options["seed"], stdout=self.stdout)
        except synth.AlreadyLoaded as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.perf_counter() - start:.0f} s: {counts['establishments']} establishments, "
                f"{counts['products']} products, {counts['projects']} projects, {counts['rounds']} rounds, "
                f"{counts['results']} results, {counts['certificates']} certificates."
            )
        )
