/** The TinhSo mark: a five-pointed star on a deep red field (decorative; the name is text beside it). */
export function Logo({ size = 40 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <rect width="48" height="48" rx="10" fill="#9b1c1c" />
      <circle cx="24" cy="24" r="17" fill="none" stroke="#f5c242" strokeWidth="2" />
      <path fill="#f5c242" d="M24 11.5l3.4 10.3h10.8l-8.7 6.4 3.3 10.3L24 32.2l-8.8 6.3 3.3-10.3-8.7-6.4h10.8z" />
    </svg>
  );
}
