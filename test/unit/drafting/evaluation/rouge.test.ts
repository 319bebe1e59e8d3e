import assert from 'node:assert/strict';
import { test } from 'vitest';
import { lcsLength, rouge, rougeL, rougeLsum, rougeN, tokenize } from '../../../../main/drafting/evaluation/rouge.js';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

test('tokens are lower-cased alphanumerics; punctuation and case do not count', () => {
  assert.deepEqual(tokenize('The CAT, sat — on 3/6 mats!'), ['the', 'cat', 'sat', 'on', '3', '6', 'mats']);
});

test('ROUGE-1, ROUGE-2 and ROUGE-L on a hand-worked pair', () => {
  // candidate: the cat sat on the mat / reference: the cat is on the mat
  // unigrams: the×2, cat, on, mat match → 5 of 6 each way; bigrams: "the cat", "on the", "the mat" → 3 of 5;
  // LCS: the cat on the mat → 5.
  const r = rouge('The cat sat on the mat.', 'the cat is on the mat');
  close(r.rouge1.precision, 5 / 6);
  close(r.rouge1.recall, 5 / 6);
  close(r.rouge1.f1, 5 / 6);
  close(r.rouge2.f1, 3 / 5);
  close(r.rougeL.f1, 5 / 6);
});

test('precision and recall differ when the lengths do; counts are clipped', () => {
  const c = tokenize('a b c d');
  const ref = tokenize('a c');
  const one = rougeN(c, ref, 1);
  close(one.precision, 2 / 4);
  close(one.recall, 1);
  close(one.f1, 2 / 3);
  close(rougeN(c, ref, 2).f1, 0);
  close(rougeL(c, ref).f1, 2 / 3);
  // "the the the" against "the": only one "the" can match.
  close(rougeN(tokenize('the the the'), tokenize('the'), 1).precision, 1 / 3);
  assert.equal(lcsLength(tokenize('a b c b d'), tokenize('b d a b')), 2);
  assert.equal(lcsLength(tokenize('a b c d e'), tokenize('a x c y e')), 3);
  assert.equal(rouge('', 'something').rouge1.f1, 0);
});

test('ROUGE-Lsum takes the union of each reference line’s LCS with every candidate line, so line order does not matter', () => {
  // reference: one line; candidate: the same words in two lines, in the other order.
  // Whole-note LCS: "on the mat" → 3 of 6. Per line: "the cat" ∪ "on the mat" → 5 of 6 each way.
  const candidate = 'on the mat\nthe cat sat';
  const reference = 'the cat is on the mat';
  close(rouge(candidate, reference).rougeL.f1, 3 / 6);
  const lsum = rougeLsum(candidate, reference);
  close(lsum.precision, 5 / 6);
  close(lsum.recall, 5 / 6);
});

test('ROUGE-Lsum counts a token no more often than both texts hold it', () => {
  // Both candidate lines match the reference's single "the": one hit, not two.
  const lsum = rougeLsum('the dog\nthe bird', 'the');
  close(lsum.recall, 1);
  close(lsum.precision, 1 / 4);
});
