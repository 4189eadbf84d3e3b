import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namenodeBaseUrl, parseHdfsUri, webHdfsUri } from './webhdfs-uri.js';

describe('WebHDFS URIs', () => {
  it('names files webhdfs:// (swebhdfs:// over TLS) with the namenode’s HTTP address', () => {
    assert.equal(webHdfsUri('http://nn:9870', '/egret/a b.tar.gz'), 'webhdfs://nn:9870/egret/a%20b.tar.gz');
    assert.equal(webHdfsUri('https://nn:9871', '/x'), 'swebhdfs://nn:9871/x');
  });

  it('accepts namenode addresses as http(s), webhdfs or swebhdfs', () => {
    assert.equal(namenodeBaseUrl('webhdfs://nn:9870'), 'http://nn:9870');
    assert.equal(namenodeBaseUrl('swebhdfs://nn:9871/'), 'https://nn:9871');
    assert.equal(namenodeBaseUrl('http://nn:9870/'), 'http://nn:9870');
  });

  it('parses a URI back into its namenode and path', () => {
    assert.deepEqual(parseHdfsUri('webhdfs://nn:9870/egret/a%20b.tar.gz'), { scheme: 'webhdfs', baseUrl: 'http://nn:9870', path: '/egret/a b.tar.gz' });
    assert.equal(parseHdfsUri('hdfs://nn:8020/x').scheme, 'hdfs');
  });
});
