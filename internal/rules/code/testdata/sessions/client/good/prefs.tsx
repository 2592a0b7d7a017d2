export function savePrefs(theme: string) {
  localStorage.setItem('theme', theme);
  // localStorage.setItem('token', t)
  const note = "localStorage.setItem('token', t)";
  return note;
}
