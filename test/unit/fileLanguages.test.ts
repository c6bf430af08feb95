import * as assert from 'node:assert/strict';
import { isSupportedLanguage, languageOfPath } from '../../src/core/comments';

describe('fileLanguages', () => {
  it('tells the language of a path from its extension or whole name, in any case and with either separator', () => {
    assert.equal(languageOfPath('src/cache.go'), 'go');
    assert.equal(languageOfPath('C:\\work\\Player.TS'), 'typescript');
    assert.equal(languageOfPath('lib/view.tsx'), 'typescriptreact');
    assert.equal(languageOfPath('notes/review.md'), 'markdown');
    assert.equal(languageOfPath('Gemfile'), 'ruby');
  });

  it('gives undefined for names without a known extension, and for dot files without one', () => {
    assert.equal(languageOfPath('NOTES'), undefined);
    assert.equal(languageOfPath('image.png'), undefined);
    assert.equal(languageOfPath('.bashrc'), undefined);
  });

  it('maps only to languages the comment extraction supports', () => {
    const samples = [
      'a.c',
      'a.cpp',
      'a.cu',
      'a.m',
      'a.mm',
      'a.cs',
      'a.java',
      'a.js',
      'a.jsx',
      'a.ts',
      'a.tsx',
      'a.jsonc',
      'a.go',
      'a.rs',
      'a.kt',
      'a.scala',
      'a.swift',
      'a.py',
      'a.rb',
      'a.php',
      'a.sh',
      'a.sql',
      'a.lua',
      'a.css',
      'a.scss',
      'a.less',
      'a.html',
      'a.xml',
      'a.xsl',
      'a.svg',
      'a.yaml',
      'a.md',
      'a.txt',
    ];
    for (const sample of samples) {
      const language = languageOfPath(sample);
      assert.ok(language && isSupportedLanguage(language), `${sample}: ${language}`);
    }
  });
});
