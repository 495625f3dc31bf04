// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OnceShownSecret } from './OnceShownSecret';

function renderSecret(writeText: (text: string) => Promise<void>) {
  vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
  const onClose = vi.fn();
  render(
    <OnceShownSecret
      title="API key “CRM sync” created"
      label="API key"
      secret="lsk_abcd1234_secret"
      explanation="Only its hash is kept."
      onClose={onClose}
    />,
  );
  return onClose;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('a secret shown once', () => {
  it('shows the secret with a warning, copies it to the clipboard and says so', async () => {
    const writeText = vi.fn(async () => undefined);
    const onClose = renderSecret(writeText);
    expect((screen.getByLabelText('API key') as HTMLInputElement).value).toBe(
      'lsk_abcd1234_secret',
    );
    expect(screen.getByText(/it will not be shown again/)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('');

    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await screen.findByText('Copied')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith('lsk_abcd1234_secret');

    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('asks the user to copy it themselves when the clipboard refuses', async () => {
    renderSecret(async () => {
      throw new DOMException('Write permission denied.', 'NotAllowedError');
    });
    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await screen.findByText(/select the text and copy it yourself/)).toBeTruthy();
    expect(screen.queryByText('Copied')).toBeNull();
  });
});
