"""Writes a PEP 503 simple index for the wheels in a folder: simple/index.html, simple/<project>/index.html."""
import hashlib, html, pathlib, re, sys, zipfile
from email.parser import Parser

wheels, root = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
projects = {}
for whl in sorted(wheels.glob('*.whl')):
    with zipfile.ZipFile(whl) as z:
        meta_name = next(n for n in z.namelist() if n.endswith('.dist-info/METADATA'))
        meta = Parser().parsestr(z.read(meta_name).decode())
    name = re.sub(r'[-_.]+', '-', meta['Name']).lower()
    digest = hashlib.sha256(whl.read_bytes()).hexdigest()
    projects.setdefault(name, []).append((whl.name, digest, meta.get('Requires-Python')))
(root / 'files').mkdir(parents=True, exist_ok=True)
for whl in wheels.glob('*.whl'):
    (root / 'files' / whl.name).write_bytes(whl.read_bytes())
page = '<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.0"><title>{}</title></head><body>\n{}\n</body></html>\n'
links = '\n'.join(f'<a href="/simple/{n}/">{n}</a><br>' for n in sorted(projects))
(root / 'simple').mkdir(exist_ok=True)
(root / 'simple' / 'index.html').write_text(page.format('Simple index', links))
for name, files in projects.items():
    (root / 'simple' / name).mkdir(exist_ok=True)
    rows = []
    for fname, digest, requires in files:
        rp = f' data-requires-python="{html.escape(requires)}"' if requires else ''
        rows.append(f'<a href="/files/{fname}#sha256={digest}"{rp}>{fname}</a><br>')
    (root / 'simple' / name / 'index.html').write_text(page.format(f'Links for {name}', '\n'.join(rows)))
provenance = (wheels / 'PROVENANCE').read_text().splitlines() if (wheels / 'PROVENANCE').exists() else []
about = ('<h1>Dockyard course package index</h1>\n<p>Real wheels built on this machine from the upstream sources Debian '
         'distributes; PyPI is not reachable from the course. pip uses it as <code>--index-url http://dockyard-index/simple/</code>.</p>\n<ul>\n'
         + '\n'.join(f'<li>{html.escape(line)}</li>' for line in provenance) + '\n</ul>')
(root / 'index.html').write_text(page.format('Dockyard course package index', about))
print(f'{len(projects)} projects: {", ".join(sorted(projects))}')
