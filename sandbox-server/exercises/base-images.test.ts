import { describe, expect, it } from 'vitest';
import { loadExercises } from './load.ts';
import { baseImages, composeImages, dockerfileBases } from './base-images.ts';

describe('base images of exercises', () => {
  it('reads the bases of a Dockerfile, not its own stages, scratch or ARG-made names', () => {
    const text = ['# syntax', 'FROM --platform=linux/amd64 python:3.11-slim AS build', 'RUN true', 'FROM build AS test', 'from busybox', 'FROM scratch', 'FROM ${BASE}'].join('\n');
    expect(dockerfileBases(text)).toEqual(['python:3.11-slim', 'busybox']);
  });

  it('reads the image: lines of a compose file', () => {
    const text = ['services:', '  web:', '    build: .', '  redis:', '    image: "redis:7"  # the store', '  db:', '    image: ${DB}', '  cache:', "    image: 'busybox'"].join('\n');
    expect(composeImages(text)).toEqual(['redis:7', 'busybox']);
  });

  it("finds the course's dockerfile and compose exercises' images", () => {
    const { exercises } = loadExercises(new URL('../../exercises/', import.meta.url).pathname);
    const images = baseImages(exercises);
    expect(images).toContain('python:3.11-slim');
    expect(images).toContain('redis');
    expect(images.every((i) => /^[a-z0-9./:-]+$/.test(i))).toBe(true);
  });
});
