"""Builds the site: turns talks.txt into public/index.html. Building needs Python; serving the result does not."""
import html, pathlib, platform

talks = [line.strip() for line in pathlib.Path('talks.txt').read_text().splitlines() if line.strip()]
items = '\n'.join(f'      <li>{html.escape(talk)}</li>' for talk in talks)
public = pathlib.Path('public')
public.mkdir(exist_ok=True)
(public / 'index.html').write_text(f'''<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Container meetup</title></head>
  <body>
    <h1>Container meetup: the talks</h1>
    <ul>
{items}
    </ul>
    <p>Built with Python {platform.python_version()}.</p>
  </body>
</html>
''')
print(f'Wrote public/index.html with {len(talks)} talks.')
