docker run --name report -m 24m python:3.11-slim python -c "rows = b'x' * (80 << 20); print('report ready:', len(rows), 'bytes')"
