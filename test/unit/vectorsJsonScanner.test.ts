import * as assert from 'node:assert/strict';
import { scanVectorsJson } from '../../src/core/training/vectorsJsonScanner';

/** What readPretrainedVectors' JSON.parse path finds: "dimensions", the number of words and the wanted words' values in Object.entries order. */
function viaJsonParse(text: string, wanted: ReadonlySet<string>) {
  const parsed = JSON.parse(text) as { dimensions: unknown; vectors: Record<string, number[]> };
  const entries = Object.entries(parsed.vectors);
  return {
    dimensions: parsed.dimensions,
    fileWords: entries.length,
    found: entries.filter(([word]) => wanted.has(word)),
  };
}

const scan = (text: string, wanted: ReadonlySet<string>) => scanVectorsJson(Buffer.from(text, 'utf8'), wanted);

describe('vectorsJsonScanner', () => {
  const cases: Record<string, string> = {
    'the wink-embeddings layout':
      '{"precision":8,"dimensions":2,"words":["a","\\"","b"],"vectors":{"a":[1,2,0.5,0],"\\"":[3,4,1,1],"b":[-5e-3,6E+2,1,2]},"unkVector":[0,0,-1]}',
    'whitespace and keys in another order':
      ' {\n "vectors" : { "a" : [ 1 , 2 ] ,\r\n "b":[3,4] } ,\t"dimensions" : 2 }\n',
    'escaped and non-ASCII words':
      '{"dimensions":1,"vectors":{"caf\\u00e9":[1],"naïve":[2],"a\\\\b":[3],"\\"q\\"":[4]}}',
    'a repeated word (the last value wins, at the first place)': '{"dimensions":1,"vectors":{"a":[1],"b":[2],"a":[3]}}',
    'numeric words (array indices first, ascending)':
      '{"dimensions":1,"vectors":{"z":[1],"10":[2],"2":[3],"007":[4],"4294967295":[5],"__proto__":[6]}}',
    'no vectors': '{"dimensions":3,"vectors":{}}',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`reads ${name} as JSON.parse does`, () => {
      const wanted = new Set([
        'a',
        'b',
        '"',
        'café',
        'naïve',
        'a\\b',
        '"q"',
        'z',
        '10',
        '2',
        '007',
        '4294967295',
        '__proto__',
      ]);
      assert.deepEqual(scan(text, wanted), viaJsonParse(text, wanted));
    });
  }

  const declined: Record<string, string> = {
    'a nested array in vectors': '{"dimensions":1,"vectors":{"a":[[1]]}}',
    'a string among the numbers': '{"dimensions":1,"vectors":{"a":["1"]}}',
    'a number JSON does not allow (.5)': '{"dimensions":1,"vectors":{"a":[.5]}}',
    'an empty element': '{"dimensions":2,"vectors":{"a":[1,,2]}}',
    'a value that is not an array': '{"dimensions":1,"vectors":{"a":1}}',
    'no vectors key': '{"dimensions":1}',
    'no dimensions key': '{"vectors":{}}',
    'a byte order mark': '\ufeff{"dimensions":1,"vectors":{}}',
    'trailing text': '{"dimensions":1,"vectors":{}} x',
    'a cut file': '{"dimensions":1,"vectors":{"a":[1',
  };
  for (const [name, text] of Object.entries(declined)) {
    it(`declines ${name} (the caller falls back to JSON.parse)`, () => {
      assert.equal(scan(text, new Set(['a'])), undefined);
    });
  }
});
