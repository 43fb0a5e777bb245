import { html, raw } from './html';

describe('html templates', () => {
  it('escapes every value', () => {
    expect(html`<p title="${'"x"'}">${'<script>alert(1)</script>'}</p>`.value).toBe('<p title="&quot;x&quot;">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('keeps nested templates and lists as markup, and leaves out null, undefined and false', () => {
    const items = ['a&b', 'c'].map((i) => html`<li>${i}</li>`);
    expect(html`<ul>${items}${null}${undefined}${false}</ul>`.value).toBe('<ul><li>a&amp;b</li><li>c</li></ul>');
    expect(html`${raw('<br>')}`.value).toBe('<br>');
  });
});
