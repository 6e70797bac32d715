/**
 * Synthetic personnummer for tests: valid (YYMMDD + födelsenummer + Luhn check digit) but from
 * Skatteverket's test series (födelsenummer 980–999), so never a real person's.
 */

/** `digits` (nine) with their Luhn check digit: the 10-digit personnummer. */
function withCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

/** Pupil k's 10-digit personnummer, born in the year `year` (two digits): distinct for k < 6 720. */
export function testPersonnummer(k: number, year: string): string {
  return withCheckDigit(`${year}${String((Math.floor(k / 28) % 12) + 1).padStart(2, '0')}${String((k % 28) + 1).padStart(2, '0')}${980 + (Math.floor(k / 336) % 20)}`);
}
