export function saveLogin(data: { accessToken: string }) {
  localStorage.setItem('accessToken', data.accessToken); // want "sessions/token-in-localstorage"
  window.sessionStorage.setItem('jwt', data.accessToken); // want "sessions/token-in-localstorage: token written to sessionStorage"
  localStorage.token = data.accessToken; // want "sessions/token-in-localstorage"
}
